package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;

class BundledDatasetsTest {

  @Test
  void loadsBreastCancerWithoutItsHeader() {
    Dataset d = BundledDatasets.load("breast-cancer");
    assertThat(d.rows()).isEqualTo(569);
    assertThat(d.cols()).isEqualTo(30);
    assertThat(DataSummary.of(d).classCounts()).containsExactly(212, 357);
    assertThat(d.x()[0]).isEqualTo(17.99f);
  }

  @Test
  void loadsCompressedDigits() {
    Dataset d = BundledDatasets.load("digits");
    assertThat(d.rows()).isEqualTo(1797);
    assertThat(d.cols()).isEqualTo(64);
    assertThat(d.numClasses()).isEqualTo(10);
    for (float v : d.x()) {
      assertThat(v).isBetween(0f, 16f);
    }
  }

  @Test
  void listsItsNamesAndRejectsOthers() {
    assertThat(BundledDatasets.names()).containsExactly("breast-cancer", "digits");
    assertThatThrownBy(() -> BundledDatasets.load("mnist"))
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessageContaining("'mnist'")
        .hasMessageContaining("breast-cancer");
  }

  @Test
  void shipsAProvenanceNote() {
    assertThat(BundledDatasets.class.getResource("data/PROVENANCE.md")).isNotNull();
  }
}
