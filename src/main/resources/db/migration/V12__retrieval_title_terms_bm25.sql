-- Retrieval, third part: title words for re-ranking, with stop words kept.
--
-- PostgreSQL's english configuration drops stop words, but in alert and runbook titles they
-- carry the meaning: KubeNodeNotReady, TargetDown, NodeFilesystemSpaceFillingUp,
-- KubeletTooManyPods, ErrorSendingAlertsToAnyAlertmanager vs ...ToSomeAlertmanagers.
-- rebound_title stems like english (so "failed" meets "fail") and keeps every word.
-- See dev.rebound.retrieval.HybridSearch (title coverage).

create text search dictionary rebound_english_keep (template = snowball, language = english);

create text search configuration rebound_title (copy = english);
alter text search configuration rebound_title
  alter mapping for asciiword, asciihword, hword_asciipart, word, hword, hword_part with rebound_english_keep;

-- The title's lexemes under rebound_title, identifier parts included (written by the indexer;
-- rows indexed before this migration get their title's own words here).
alter table retrieval_documents add column title_terms text[] not null default '{}';

update retrieval_documents
   set title_terms = tsvector_to_array(to_tsvector('rebound_title', title));

-- BM25 over an inverted index kept in SQL. ts_rank has no inverse document frequency and must
-- read every matching document's tsvector: at 100k chunks one alert's words matched 22k
-- documents and ranking them took ~0.5 s. A posting per (lexeme, document) holds the
-- field-weighted term frequency, so the text side reads only the query terms' postings (an index
-- range per term) and sums BM25 in one aggregate. Maintained by a trigger on
-- retrieval_documents (documents are only ever inserted or deleted, never updated; deletes
-- cascade). See dev.rebound.retrieval.TextRanking.

-- Words in a document (positions; a lexeme without positions counts once).
create function retrieval_word_count(v tsvector) returns integer
  language sql immutable parallel safe
  as $$ select coalesce(sum(coalesce(array_length(positions, 1), 1)), 0)::integer from unnest(v) $$;

alter table retrieval_documents
  add column words integer generated always as (retrieval_word_count(tsv)) stored;

alter table retrieval_index
  add column avg_words real not null default 0 check (avg_words >= 0);

create table retrieval_postings (
  lexeme text not null,
  kind   text not null,
  doc_id text not null,
  -- Term frequency with field weights per occurrence: title (A) 5, keywords (B) 2, body (C, D) 1.
  tf     real not null check (tf > 0),
  -- The document's length in words (copied from retrieval_documents.words for the BM25 formula).
  words  integer not null,
  primary key (lexeme, kind, doc_id) include (tf, words),
  foreign key (kind, doc_id) references retrieval_documents (kind, doc_id) on delete cascade
);

-- For the cascade when a document is replaced or removed.
create index retrieval_postings_doc on retrieval_postings (kind, doc_id);

create function retrieval_postings_of(v tsvector) returns table (lexeme text, tf real)
  language sql immutable parallel safe
  as $$
    select u.lexeme, coalesce((select sum(case w when 'A' then 5 when 'B' then 2 else 1 end)
                               from unnest(u.weights) as w), 1)::real
    from unnest(v) as u
  $$;

create function retrieval_postings_fill() returns trigger
  language plpgsql
  as $$
  begin
    insert into retrieval_postings (lexeme, kind, doc_id, tf, words)
    select p.lexeme, new.kind, new.doc_id, p.tf, new.words from retrieval_postings_of(new.tsv) as p;
    return null;
  end
  $$;

create trigger retrieval_postings_fill after insert on retrieval_documents
  for each row execute function retrieval_postings_fill();

insert into retrieval_postings (lexeme, kind, doc_id, tf, words)
select p.lexeme, d.kind, d.doc_id, p.tf, d.words from retrieval_documents d, retrieval_postings_of(d.tsv) as p;

update retrieval_index set avg_words = coalesce((select avg(words) from retrieval_documents), 0);
