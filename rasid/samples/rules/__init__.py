"""Sample alert rules shipped with Rasid (YAML files in this folder)."""
