//! Links across articles: the same quote in several articles, and figures that disagree.
