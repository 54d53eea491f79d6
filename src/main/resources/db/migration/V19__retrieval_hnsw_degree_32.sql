-- Retrieval, fifth part: the HNSW index rebuilt with graph degree m = 32 (was 16).
--
-- At 100k chunks, m 32 finds nearly every neighbour that m 16 missed at the same ef_search, and
-- at ef_search 120 reads fewer index pages per query than m 16 at 200 (1,299 against 1,526):
-- see dev.rebound.retrieval.VectorIndex. The graph is built in memory in one pass:
-- maintenance_work_mem for this transaction is sized from the rows as VectorIndex#buildMemory
-- sizes it (with PostgreSQL's default 64 MB, pgvector writes most of a large graph row by row on
-- disk, several times slower). A large index takes minutes to rebuild (100k chunks: about 2.5
-- minutes on two cores), once, while the service starts.

do $$
declare
  dimension integer := (select atttypmod from pg_attribute
                        where attrelid = 'retrieval_chunks'::regclass and attname = 'embedding');
  chunks bigint := (select count(*) from retrieval_chunks);
begin
  perform set_config('maintenance_work_mem',
                     least(2097152, 65536 + chunks * (2 * dimension + 32 * 32 + 512) / 1024) || 'kB', true);
  drop index if exists retrieval_chunks_embedding;
  execute format('create index retrieval_chunks_embedding on retrieval_chunks'
                 ' using hnsw ((embedding::halfvec(%s)) halfvec_cosine_ops) with (m = 32, ef_construction = 128)',
                 dimension);
end
$$;
