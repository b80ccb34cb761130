"""Pages for organizations, people, campaigns and partnerships, one module each. Thin: parse,
check, call, render."""
