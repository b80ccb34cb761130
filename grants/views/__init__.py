"""Pages of grants, split by stage: programs and cycles, applications, review, awards."""
