-- Retrieval, seventh part: the term statistics (retrieval_terms, V6) follow each run's changes
-- instead of being recounted over the whole corpus after every run.
--
-- V6's comment says retrieval_terms is refreshed with ts_stat after each index run; V6 is not
-- edited, this migration changes that. At 25k documents the whole recount took 1.2-1.6 s, and
-- POST /api/incidents (one document upserted) waited for it.
--
-- A lexeme's ndoc is its number of documents, which is its number of retrieval_postings rows (one
-- per lexeme and document, V12). Every statement that inserts or deletes documents (a replaced
-- document is deleted, its postings cascade, then inserted again) logs, in its own transaction,
-- how many documents with each lexeme it added (positive) or removed (negative): one row per
-- lexeme and statement, appended, never updated, so a batch of documents costs one insert of its
-- distinct lexemes. The end of a run (dev.rebound.retrieval.PgIndexStore#touch) adds the log to
-- retrieval_terms and empties it in one transaction. A run that dies after committing batches
-- leaves its log behind, and the next run applies it even if it finds nothing changed.
--
-- The document count and mean length (retrieval_index.documents, avg_words) were aggregates over
-- all documents at the end of each run too (11 ms at 25k documents, growing with them): the same
-- triggers now add each statement's documents and words to them, in the same transaction.
--
-- A run that changes much of the index (a load into an empty one, a rebuild) sets terms_stale
-- first: nothing is logged, and the end of the run recounts everything once from the postings,
-- cheaper than logging every lexeme of every document. Set until that recount commits, so a run
-- that dies half-way leaves the next one the recount to do.

create table retrieval_terms_log (
  lexeme text    not null,
  ndoc   integer not null
);

alter table retrieval_index
  add column terms_stale boolean not null default false,
  -- All documents' words (retrieval_documents.words), so that avg_words follows without a scan.
  add column words bigint not null default 0 check (words >= 0);

create function retrieval_statistics_follow() returns trigger
  language plpgsql
  as $$
  declare
    sign integer := case tg_op when 'INSERT' then 1 else -1 end;
  begin
    if not exists (select 1 from changed) then
      return null;
    end if;
    -- Clamped at zero: counts that had drifted low must not fail every later run.
    update retrieval_index i
       set documents = greatest(0, i.documents + sign * c.n),
           words = greatest(0, i.words + sign * c.w),
           avg_words = case when i.documents + sign * c.n > 0
                            then ((i.words + sign * c.w)::double precision / (i.documents + sign * c.n))::real
                            else 0 end
      from (select count(*)::integer as n, coalesce(sum(changed.words), 0)::bigint as w from changed) c;
    if not exists (select 1 from retrieval_index where terms_stale) then
      insert into retrieval_terms_log (lexeme, ndoc)
      select l.lexeme, sign * count(*)::integer
      from changed, unnest(tsvector_to_array(changed.tsv)) as l(lexeme)
      group by l.lexeme;
    end if;
    return null;
  end
  $$;

create trigger retrieval_statistics_inserts after insert on retrieval_documents
  referencing new table as changed
  for each statement execute function retrieval_statistics_follow();

create trigger retrieval_statistics_deletes after delete on retrieval_documents
  referencing old table as changed
  for each statement execute function retrieval_statistics_follow();

-- The counts kept so far may be stale (a run that died before its recount): the next run recounts.
update retrieval_index
   set terms_stale = true,
       documents = (select count(*) from retrieval_documents),
       words = (select coalesce(sum(words), 0) from retrieval_documents),
       avg_words = coalesce((select avg(words) from retrieval_documents), 0);
