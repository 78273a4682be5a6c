"""Provides the `study` subcommands, one module each (`add_arguments(parser)`, `run(args) -> int`)."""
