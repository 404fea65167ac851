"""The capability the sample domain adds to the permission policy (registered in ready())."""

MANAGE_SAMPLE = "sample.manage"
