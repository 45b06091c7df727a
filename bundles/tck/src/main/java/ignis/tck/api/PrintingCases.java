package ignis.tck.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * toString as PyTorch 1.13+ prints tensors (torch/_tensor_str.py: 4 decimals, integer-valued floats
 * as {@code 1.}, scientific notation when the nonzero finite magnitudes span more than 1000x, exceed
 * 1e8 or, for non-integers, go below 1e-4; right-aligned elements; 80 columns; summarization past 1000
 * elements), except that dtypes are named without PyTorch's {@code torch.} prefix ({@code dtype=float64}).
 * Elements are formatted as Python formats floats, which rounds ties to even: {@code '%.4f' % 0.03125 == '0.0312'}.
 */
abstract class PrintingCases extends KitArea {

    /** What PyTorch prints for a tensor on the device under test: a device suffix first when it is not the cpu. */
    private String printed(String body, String... suffixes) {
        List<String> all = new ArrayList<>();
        if (!device().equals(Device.CPU)) {
            all.add("device='" + device() + "'");
        }
        all.addAll(List.of(suffixes));
        StringBuilder out = new StringBuilder("tensor(").append(body);
        for (String suffix : all) {
            out.append(", ").append(suffix);
        }
        return out.append(')').toString();
    }

    @Test
    void floatsWithIntegerValues() {
        assertEquals(printed("[1., 2.]"), f32(1, 2).toString());
        assertEquals(printed("[ 1., -2., 10.]"), f32(1, -2, 10).toString());
        assertEquals(printed("[-1.,  2.]"), f32(-1, 2).toString());
        assertEquals(printed("[100000.]"), f32(100000).toString());
        assertEquals(printed("[0., 0., 0.]"), zeros(DType.FLOAT32, 3).toString());
        assertEquals(printed("[ 0., 10.]"), f32(0, 10).toString());
    }

    @Test
    void floatsWithFourDecimals() {
        assertEquals(printed("[0.1000, 2.5000]"), f32(0.1, 2.5).toString());
        assertEquals(printed("[ 0.1000, -2.5000, 10.2500]"), f32(0.1, -2.5, 10.25).toString());
        assertEquals(printed("[1.2346]"), f32(1.23456789).toString());
        assertEquals(printed("[0.0000, 1.5000]"), f32(0, 1.5).toString());
        assertEquals(printed("[123.4560]", "dtype=float64"), f64(123.456).toString());
    }

    @Test
    void roundingTiesGoToEvenAsInPython() {
        // 0.03125 = 1/32 is exact in binary: Python's '%.4f' % 0.03125 == '0.0312', so torch.tensor([0.03125, 1.5])
        // prints tensor([0.0312, 1.5000]); 0.15625 prints 0.1562
        assertEquals(printed("[0.0312, 1.5000]"), f32(0.03125, 1.5).toString());
        assertEquals(printed("[0.1562]"), f32(0.15625).toString());
    }

    @Test
    void scientificNotation() {
        assertEquals(printed("[1.0000e-05, 1.0000e+00]"), f32(1e-5, 1).toString());
        assertEquals(printed("[-1.0000e-05,  1.0000e+00]"), f32(-1e-5, 1).toString());
        assertEquals(printed("[1.0000e+00, 1.0000e+03, 1.0000e+04]"), f32(1, 1000, 10000).toString());
        assertEquals(printed("[1.0000e+10]", "dtype=float64"), f64(1e10).toString());
        assertEquals(printed("[1.2346e+08]"), f32(123456789).toString());
    }

    @Test
    void nanAndInfinities() {
        assertEquals(printed("[1., nan, inf]"), f32(1, Double.NaN, Double.POSITIVE_INFINITY).toString());
        assertEquals(printed("[  -inf, 0.5000]"), f32(Double.NEGATIVE_INFINITY, 0.5).toString());
        assertEquals(printed("[nan, nan]"), f32(Double.NaN, Double.NaN).toString());
    }

    @Test
    void integersAndBools() {
        assertEquals(printed("[  1, -20, 300]"), i64(1, -20, 300).toString());
        assertEquals(printed("[1, 2]", "dtype=int32"), i32(1, 2).toString());
        assertEquals(printed("[9007199254740993]"), i64((1L << 53) + 1).toString());
        assertEquals(printed("[ True, False]"), bools(true, false).toString());
        assertEquals(printed("[True, True]"), bools(true, true).toString());
    }

    @Test
    void dtypeSuffixes() {
        assertEquals(printed("[1.5000, 2.0000]", "dtype=float64"), f64(1.5, 2).toString());
        assertEquals(printed("[0.5000, 1.5000]", "dtype=float16"), typed(DType.FLOAT16, new double[] {0.5, 1.5}).toString());
        assertEquals(printed("[1., 2.]", "dtype=bfloat16"), typed(DType.BFLOAT16, new double[] {1, 2}).toString());
        assertEquals(printed("[1., 2.]", "requires_grad=True"), f32(1, 2).requiresGrad_(true).toString());
    }

    @Test
    void scalars() {
        assertEquals(printed("2.5000"), scalarOf(DType.FLOAT32, 2.5).toString());
        assertEquals(printed("2."), scalarOf(DType.FLOAT32, 2).toString());
        assertEquals(printed("3"), scalarOf(DType.INT64, 3).toString());
        assertEquals(printed("1.5000", "dtype=float64"), scalarOf(DType.FLOAT64, 1.5).toString());
        assertEquals(printed("True"), scalarOf(DType.BOOL, 1).toString());
    }

    @Test
    void matricesAndCubes() {
        assertEquals(printed("[[1., 2.],\n        [3., 4.]]"), f32(new float[] {1, 2, 3, 4}, 2, 2).toString());
        assertEquals(printed("[[ 1., -2.],\n        [30.,  4.]]"), f32(new float[] {1, -2, 30, 4}, 2, 2).toString());
        assertEquals(printed("[[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]]"),
                on(Tensors.arange(8)).view(2, 2, 2).toString());
        // a transposed (strided) view prints its own element order
        assertEquals(printed("[[1., 3.],\n        [2., 4.]]"), f32(new float[] {1, 2, 3, 4}, 2, 2).t().toString());
    }

    @Test
    void emptyTensors() {
        // torch/_tensor_str.py: an empty tensor shows its size unless it is (0,), and its dtype unless it
        // is the default float32 ("there are no elements to infer if the dtype should be int64")
        assertEquals(printed("[]"), zeros(DType.FLOAT32, 0).toString());
        assertEquals(printed("[]", "size=(0, 3)"), zeros(DType.FLOAT32, 0, 3).toString());
        assertEquals(printed("[]", "dtype=float64"), zeros(DType.FLOAT64, 0).toString());
        assertEquals(printed("[]", "size=(2, 0)", "dtype=int32"), zeros(DType.INT32, 2, 0).toString());
    }

    @Test
    void emptyInt64AndBoolTensorsShowTheirDType() {
        // torch.arange(0) prints tensor([], dtype=torch.int64); torch.zeros(0, dtype=torch.bool) prints tensor([], dtype=torch.bool)
        assertEquals(printed("[]", "dtype=int64"), zeros(DType.INT64, 0).toString());
        assertEquals(printed("[]", "dtype=bool"), zeros(DType.BOOL, 0).toString());
        assertEquals(printed("[]", "size=(0, 2)", "dtype=int64"), zeros(DType.INT64, 0, 2).toString());
    }

    @Test
    void longRowsWrapAtEightyColumns() {
        // torch.arange(30): 18 elements of width 2 per line
        assertEquals(printed("[ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n"
                + "        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29]"), on(Tensors.arange(30)).toString());
    }

    @Test
    void moreThanAThousandElementsAreSummarized() {
        assertEquals(printed("[   0,    1,    2,  ..., 1997, 1998, 1999]"), on(Tensors.arange(2000)).toString());
        // torch.arange(2000.): 1 to 1999 spans more than 1000x, so scientific, 6 elements of width 10 per line
        assertEquals(printed("[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03]"),
                on(Tensors.arange(2000)).to(DType.FLOAT32).toString());
        assertEquals(printed("[1000., 1001., 1002.,  ..., 2997., 2998., 2999.]"),
                on(Tensors.arange(1000, 3000, 1)).to(DType.FLOAT32).toString());
        assertEquals(printed("[[   0,    1,    2,  ...,   47,   48,   49],\n"
                + "        [  50,   51,   52,  ...,   97,   98,   99],\n"
                + "        [ 100,  101,  102,  ...,  147,  148,  149],\n"
                + "        ...,\n"
                + "        [1850, 1851, 1852,  ..., 1897, 1898, 1899],\n"
                + "        [1900, 1901, 1902,  ..., 1947, 1948, 1949],\n"
                + "        [1950, 1951, 1952,  ..., 1997, 1998, 1999]]"), on(Tensors.arange(2000)).view(40, 50).toString());
        // the threshold is numel > 1000: 1000 elements print in full, 1001 are summarized
        String thousand = on(Tensors.arange(1000)).toString();
        assertFalse(thousand.contains("..."));
        assertTrue(thousand.contains(" 500, "));
        assertEquals(printed("[   0,    1,    2,  ...,  998,  999, 1000]"), on(Tensors.arange(1001)).toString());
    }

    @Test
    void aClosedTensorPrintsWithoutFailing() {
        Tensor t = f32(1, 2);
        t.close();
        assertTrue(t.toString().contains("closed"), t.toString());
    }
}
