"""{{name}}: a Python HTTP service made from the {{template.id}} golden path."""
