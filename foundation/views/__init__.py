"""Pages of the internal foundation, split by what they show: assessments (instruments and
rounds), the risk register, resources and the compliance check on support. Department staff
only; thin: parse, check, call, render."""
