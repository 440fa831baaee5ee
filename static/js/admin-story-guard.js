/* admin-story-guard: filled in by issue 14. */
