"""The command line: argv parsing and terminal rendering; the only layer that prints."""
