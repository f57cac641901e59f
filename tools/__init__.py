"""Developer tools that live outside the package: the Neo4j development server launcher
and the evaluation over ``tests/`` and ``seeds/``. Package code never imports them."""
