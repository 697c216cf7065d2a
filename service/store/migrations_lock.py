"""The PostgreSQL advisory lock key that lets one replica at a time migrate."""

MIGRATION_LOCK = 0x62726965  # "brie"
