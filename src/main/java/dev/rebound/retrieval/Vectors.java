package dev.rebound.retrieval;

/** Vector helpers: pgvector's text form and normalisation. */
public final class Vectors {
  private Vectors() {}

  /**
   * pgvector's text form {@code [0.1,0.2,…]}, bound as {@code $n::vector}: the Vert.x pg client
   * cannot bind a {@code PGvector} object (DESIGN.md pitfalls).
   */
  public static String literal(float[] v) {
    StringBuilder sb = new StringBuilder(v.length * 11 + 2).append('[');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(v[i]);
    }
    return sb.append(']').toString();
  }

  public static float[] parse(String literal) {
    String body = literal.strip();
    body = body.substring(1, body.length() - 1);
    if (body.isEmpty()) {
      return new float[0];
    }
    String[] parts = body.split(",");
    float[] v = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      v[i] = Float.parseFloat(parts[i]);
    }
    return v;
  }

  public static float[] normalised(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += x * x;
    }
    if (sum == 0) {
      return v.clone();
    }
    float inv = (float) (1.0 / Math.sqrt(sum));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] * inv;
    }
    return out;
  }

  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
