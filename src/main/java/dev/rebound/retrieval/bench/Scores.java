package dev.rebound.retrieval.bench;

import java.util.List;

/** recall@1/3/5 and MRR (over the top 10) from the rank of each query's answer (0 = not found). */
public record Scores(double r1, double r3, double r5, double mrr, int queries) {
  public static Scores of(List<Integer> ranks) {
    double r1 = 0;
    double r3 = 0;
    double r5 = 0;
    double mrr = 0;
    for (int rank : ranks) {
      if (rank >= 1) {
        r1 += rank <= 1 ? 1 : 0;
        r3 += rank <= 3 ? 1 : 0;
        r5 += rank <= 5 ? 1 : 0;
        mrr += rank <= 10 ? 1.0 / rank : 0;
      }
    }
    int n = ranks.size();
    return new Scores(r1 / n, r3 / n, r5 / n, mrr / n, n);
  }

  public static int rankOf(List<String> ids, String answer) {
    int i = ids.indexOf(answer);
    return i < 0 ? 0 : i + 1;
  }

  public String row(String name) {
    return String.format("%-28s %6.3f %6.3f %6.3f %6.3f", name, r1, r3, r5, mrr);
  }

  public static String header() {
    return String.format("%-28s %6s %6s %6s %6s", "", "r@1", "r@3", "r@5", "MRR");
  }
}
