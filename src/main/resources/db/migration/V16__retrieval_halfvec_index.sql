-- Retrieval, fourth part: the HNSW index over half-precision embeddings.
--
-- An expression index on embedding::halfvec(N): half the pages of the vector index (about 100 MB
-- instead of 195 MB at 100k chunks of 384 dimensions, so it stays in shared buffers) and cheaper
-- distances; rounding to half precision moves cosine distances by about 1e-4, far less than the
-- distance between neighbours. ef_construction 128 (pgvector's default is 64) gives a better
-- connected graph and recall at the same ef_search. Queries must order by the same expression
-- (dev.rebound.retrieval.VectorIndex); N is the column's current dimension (a reindex with
-- another model may have changed it, see PgIndexStore#reset).

do $$
declare
  dimension integer := (select atttypmod from pg_attribute
                        where attrelid = 'retrieval_chunks'::regclass and attname = 'embedding');
begin
  drop index if exists retrieval_chunks_embedding;
  execute format('create index retrieval_chunks_embedding on retrieval_chunks'
                 ' using hnsw ((embedding::halfvec(%s)) halfvec_cosine_ops) with (m = 16, ef_construction = 128)',
                 dimension);
end
$$;
