"""Changing an environment: plan, install wheels, uninstall by RECORD, all in one transaction."""
