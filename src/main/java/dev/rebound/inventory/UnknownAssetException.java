package dev.rebound.inventory;

import dev.rebound.error.NotFoundException;

/** An asset id was asked about that the inventory does not contain; the HTTP edge maps it to 404. */
public final class UnknownAssetException extends NotFoundException {
  private final String assetId;

  public UnknownAssetException(String assetId) {
    super("asset '" + assetId + "' not found");
    this.assetId = assetId;
  }

  public String assetId() {
    return assetId;
  }
}
