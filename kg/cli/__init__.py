"""The ``kg`` command line: thin wrappers over library functions."""
