-- Retrieval, second part (V3 was already applied to development databases, so it is not edited).
--
-- Document frequency of every lexeme in retrieval_documents, refreshed after each index run
-- (ts_stat), and the document count. The query side of full-text search keeps a query's rarest
-- words and drops those found in a large share of documents: BM25 would give them almost no
-- weight, and ranking every document that contains "failed" costs hundreds of milliseconds at
-- 100k chunks. See dev.rebound.retrieval.HybridSearch#selectTerms.

alter table retrieval_index
  add column documents integer not null default 0 check (documents >= 0);

create table retrieval_terms (
  lexeme text    primary key,
  ndoc   integer not null check (ndoc >= 0)
);
