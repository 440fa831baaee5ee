/* admin-story-form: filled in by issue 14. */
