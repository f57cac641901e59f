"""Everything under a store directory (``.kg/``): the RDF store, the record cache, the
analysis memo and sync, compaction. This module is the store's API; its parts are
``disk`` (directory, RDF store, cache, compaction), ``sync`` and ``memo``."""

from kg.store.disk import (
    COMPACT_SHARE,
    DEFAULT_DIR,
    analysis_memo,
    article_ids,
    cache_path,
    compact,
    drop_leftovers,
    embeddings_cache,
    exists,
    load_article,
    load_corpus,
    open_store,
    opened,
    replace_graph,
    save_analysis,
    save_article,
    store_dir,
)

__all__ = ["COMPACT_SHARE", "DEFAULT_DIR", "analysis_memo", "article_ids", "cache_path", "compact",
           "drop_leftovers", "embeddings_cache", "exists", "load_article", "load_corpus", "open_store",
           "opened", "replace_graph", "save_analysis", "save_article", "store_dir"]
