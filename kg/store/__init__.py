"""Everything under a store directory (``.kg/``): the RDF store, the record cache, the
analysis memo and sync, compaction. This module is the store's API (docs/store.md); its
parts are ``disk`` (directory, RDF store, compaction), ``cache`` (the record files),
``articles`` (an article's cache entry, then its graph), ``analysis`` (the analysis in
its three forms, one writer), ``verify`` (cache against graphs, for ``kg check``),
``sync`` and ``memo`` (the analysis graph written by its difference)."""

from kg.store.analysis import save_analysis
from kg.store.articles import ArticleWriter, load_corpus, read_cached, read_corpus, save_article
from kg.store.cache import load_article
from kg.store.disk import (
    COMPACT_SHARE,
    DEFAULT_DIR,
    article_ids,
    compact,
    embeddings_cache,
    exists,
    open_store,
    opened,
    store_dir,
)
from kg.store.verify import Disagreement, disagreements

__all__ = ["COMPACT_SHARE", "DEFAULT_DIR", "ArticleWriter", "Disagreement", "article_ids",
           "compact", "disagreements", "embeddings_cache", "exists", "load_article", "load_corpus",
           "open_store", "opened", "read_cached", "read_corpus", "save_analysis", "save_article", "store_dir"]
