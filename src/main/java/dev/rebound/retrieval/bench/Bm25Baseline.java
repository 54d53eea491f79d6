package dev.rebound.retrieval.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The plain baseline: Lucene BM25 (k1 1.2, b 0.75) over one field, title + text, English
 * analyzer (stop words, Porter stemming), the query's terms OR-ed. In memory.
 */
public final class Bm25Baseline implements AutoCloseable {
  private final Analyzer analyzer = new EnglishAnalyzer();
  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private DirectoryReader reader;
  private IndexSearcher searcher;

  public record Entry(String id, String title, String text) {}

  public Bm25Baseline(List<Entry> entries) {
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer).setSimilarity(new BM25Similarity()))) {
      for (Entry e : entries) {
        Document doc = new Document();
        doc.add(new StringField("id", e.id(), Field.Store.YES));
        doc.add(new TextField("body", e.title() + "\n" + e.text(), Field.Store.NO));
        writer.addDocument(doc);
      }
      writer.commit();
      reader = DirectoryReader.open(directory);
      searcher = new IndexSearcher(reader);
      searcher.setSimilarity(new BM25Similarity());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ids of the best {@code k} entries, best first. */
  public List<String> search(String query, int k) {
    try {
      BooleanQuery.Builder q = new BooleanQuery.Builder();
      for (String term : terms(query)) {
        q.add(new TermQuery(new Term("body", term)), BooleanClause.Occur.SHOULD);
      }
      List<String> ids = new ArrayList<>();
      for (ScoreDoc hit : searcher.search(q.build(), k).scoreDocs) {
        ids.add(searcher.storedFields().document(hit.doc).get("id"));
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Set<String> terms(String text) throws IOException {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream ts = analyzer.tokenStream("body", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        terms.add(term.toString());
      }
      ts.end();
    }
    return terms;
  }

  @Override
  public void close() throws IOException {
    reader.close();
    directory.close();
  }
}
