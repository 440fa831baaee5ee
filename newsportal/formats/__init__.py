"""Date and number formats per language, found by Django through FORMAT_MODULE_PATH."""
