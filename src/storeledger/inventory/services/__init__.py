"""Inventory document services: one transactional function per business operation.

documents.py: other stock-in/out, adjustment, scrap; transfers.py; counts.py."""
