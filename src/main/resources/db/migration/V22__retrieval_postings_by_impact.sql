-- Retrieval, sixth part: each term's postings in order of impact, so that a term found in
-- thousands of documents costs only its best postings (dev.rebound.retrieval.TextRanking).
--
-- At 100k chunks (bench scale), an alert whose rarer words were "member" and "job" read 15k
-- postings and took 17-25 ms of server time, most of it aggregating them per document; its
-- 1,000 best postings per term took 2.6 ms (the search reads TextRanking.TERM_READS). The impact is BM25's term-frequency factor
-- (k1 1.2, b 0.75) at a fixed mean document length of 150 words: an index cannot follow the
-- corpus' mean, and the order of one term's postings hardly moves with it. The search then scores
-- the postings read with the exact formula at the current mean. A term in fewer documents than
-- it may read is read whole, as before.
create index retrieval_postings_impact on retrieval_postings
  (lexeme, (tf / (tf + 1.2::real * (0.25::real + 0.75::real * words::real / 150::real))) desc)
  include (kind, doc_id, tf, words);
