/* admin-workflow: filled in by issue 14. */
