-- Retrieval, sixth part: an HNSW index per kind beside the one over all chunks.
--
-- A search filtered by kind walked the whole graph past the other kinds' chunks (an iterative
-- scan): at 100k chunks, 12.9% of them runbooks, its vector statement took 10.2 / 17.3 ms (p50 /
-- p95 on the server) against 2.4 / 3.1 through a graph of the runbooks alone. Queries name the
-- kind as a literal so that the planner can use these partial indexes
-- (dev.rebound.retrieval.VectorIndex, which creates them for new indexes and repeats the
-- definitions and the memory sizing below, as V19 does).

do $$
declare
  dimension integer := (select atttypmod from pg_attribute
                        where attrelid = 'retrieval_chunks'::regclass and attname = 'embedding');
  chunks bigint := (select count(*) from retrieval_chunks);
  kind text;
begin
  perform set_config('maintenance_work_mem',
                     least(2097152, 65536 + chunks * (2 * dimension + 32 * 32 + 512) / 1024) || 'kB', true);
  foreach kind in array array['runbook', 'incident', 'doc', 'asset'] loop
    execute format('create index retrieval_chunks_embedding_%s on retrieval_chunks'
                   ' using hnsw ((embedding::halfvec(%s)) halfvec_cosine_ops) with (m = 32, ef_construction = 128)'
                   ' where kind = %L', kind, dimension, kind);
  end loop;
end
$$;
