"""Pages of the regulatory module, split by what they show: authorities, actions for campaigns,
complaints (with retaliation and patterns), comment periods. Thin: parse, check, call, render."""
