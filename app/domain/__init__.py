"""Pure domain rules: no Qt, no SQL, nothing else of the app."""
