"""SQLite for the test suite: the stock backend, except that a flush keeps the ledger's
append-only triggers in force.

Django flushes a SQLite test database between transactional tests with ``DELETE FROM``, which
the triggers rightly refuse; this backend drops them for the flush and installs them again in
the same statement list. Production never uses it.
"""
