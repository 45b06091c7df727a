package ignis.tck.api;

import static ignis.tensor.DType.BFLOAT16;
import static ignis.tensor.DType.BOOL;
import static ignis.tensor.DType.FLOAT16;
import static ignis.tensor.DType.FLOAT32;
import static ignis.tensor.DType.FLOAT64;
import static ignis.tensor.DType.INT32;
import static ignis.tensor.DType.INT64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.DType;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * PyTorch's type promotion: {@code torch.promote_types} between tensors with dimensions, the lower
 * standing of rank-0 tensors and of Java numbers (Python numbers in PyTorch), true division, and
 * comparisons. The expected dtypes are PyTorch's documented results (the "Type Promotion" section of
 * the torch.Tensor attributes page and {@code torch.promote_types}).
 */
abstract class PromotionCases extends KitArea {

    /** {@code torch.promote_types(a, b)} for the upper triangle, in PyTorch's own lookup table. */
    static final Map<String, DType> PROMOTE_TYPES = Map.ofEntries(
            Map.entry("bool,bool", BOOL), Map.entry("bool,int32", INT32), Map.entry("bool,int64", INT64),
            Map.entry("bool,float16", FLOAT16), Map.entry("bool,bfloat16", BFLOAT16), Map.entry("bool,float32", FLOAT32),
            Map.entry("bool,float64", FLOAT64),
            Map.entry("int32,int32", INT32), Map.entry("int32,int64", INT64), Map.entry("int32,float16", FLOAT16),
            Map.entry("int32,bfloat16", BFLOAT16), Map.entry("int32,float32", FLOAT32), Map.entry("int32,float64", FLOAT64),
            Map.entry("int64,int64", INT64), Map.entry("int64,float16", FLOAT16), Map.entry("int64,bfloat16", BFLOAT16),
            Map.entry("int64,float32", FLOAT32), Map.entry("int64,float64", FLOAT64),
            Map.entry("float16,float16", FLOAT16), Map.entry("float16,bfloat16", FLOAT32), Map.entry("float16,float32", FLOAT32),
            Map.entry("float16,float64", FLOAT64),
            Map.entry("bfloat16,bfloat16", BFLOAT16), Map.entry("bfloat16,float32", FLOAT32), Map.entry("bfloat16,float64", FLOAT64),
            Map.entry("float32,float32", FLOAT32), Map.entry("float32,float64", FLOAT64),
            Map.entry("float64,float64", FLOAT64));

    static DType pytorchPromote(DType a, DType b) {
        DType r = PROMOTE_TYPES.get(a + "," + b);
        return r != null ? r : PROMOTE_TYPES.get(b + "," + a);
    }

    @Test
    void promoteTypesMatchesPyTorchsTable() {
        for (DType a : DType.values()) {
            for (DType b : DType.values()) {
                assertEquals(pytorchPromote(a, b), DType.promote(a, b), "promote(" + a + ", " + b + ")");
            }
        }
    }

    @Test
    void tensorsWithDimensionsPromoteByTheTable() {
        for (DType a : DType.values()) {
            for (DType b : DType.values()) {
                Tensor x = ones(a, 2);
                Tensor y = ones(b, 2);
                Tensor sum = x.add(y);
                assertEquals(pytorchPromote(a, b), sum.dtype(), a + " + " + b);
                // 1 + 1 = 2, except that bool + bool is a logical or
                double two = sum.dtype() == BOOL ? 1 : 2;
                assertExactly(new double[] {two, two}, sum);
                assertEquals(pytorchPromote(a, b), x.mul(y).dtype(), a + " * " + b);
            }
        }
    }

    @Test
    void javaNumbersCountOnlyWhenTheirCategoryIsHigher() {
        // (int_tensor + 5).dtype -> int32; a Python float gives the default float32
        assertDType(INT32, i32(1, 2).add(5));
        assertExactly(new double[] {6, 7}, i32(1, 2).add(5));
        assertDType(FLOAT32, i32(1, 2).add(2.5));
        assertExactly(new double[] {3.5, 4.5}, i32(1, 2).add(2.5));
        assertDType(FLOAT32, i64(1, 2).mul(0.5));
        assertDType(INT64, bools(true, false).add(1));
        assertLongs(new long[] {2, 1}, bools(true, false).add(1));
        assertDType(FLOAT32, bools(true, false).add(0.5));
        assertDType(FLOAT16, typed(FLOAT16, new double[] {1}).add(2.5));
        assertDType(BFLOAT16, typed(BFLOAT16, new double[] {1}).add(2));
        assertDType(FLOAT64, f64(1).add(2.5));
        assertDType(FLOAT32, f32(1).add(2));
        assertDType(INT64, i64(1).sub(3));
    }

    @Test
    void zeroDimensionalTensorsCountOnlyWhenTheirCategoryIsHigher() {
        Tensor longZeroDim = scalarOf(INT64, 1);
        Tensor doubleZeroDim = scalarOf(FLOAT64, 1);
        // (int_tensor + long_zerodim).dtype -> int32
        assertDType(INT32, i32(1, 2).add(longZeroDim));
        // a higher category: the zero-dim tensor's dtype is kept, float64 here
        assertDType(FLOAT64, i32(1, 2).add(doubleZeroDim));
        assertDType(INT64, bools(true).add(longZeroDim));
        assertDType(FLOAT32, f32(1, 2).add(doubleZeroDim));
        assertDType(FLOAT16, typed(FLOAT16, new double[] {1, 2}).add(doubleZeroDim));
        // among zero-dim tensors only, the table applies; a Python float still counts as float32
        assertDType(FLOAT64, scalarOf(INT32, 1).add(doubleZeroDim));
        assertDType(INT64, scalarOf(INT32, 1).add(longZeroDim));
        assertDType(FLOAT32, longZeroDim.add(2.5));
        assertDType(FLOAT64, doubleZeroDim.add(2.5));
        assertDType(INT32, scalarOf(INT32, 1).add(5));
        assertShape(i32(1, 2).add(doubleZeroDim), 2);
    }

    @Test
    void trueDivisionOfIntegersGivesFloat32() {
        Tensor q = i32(1, 2, 3, -7).div(i32(2, 2, 2, 2));
        assertDType(FLOAT32, q);
        assertExactly(new double[] {0.5, 1, 1.5, -3.5}, q);
        assertDType(FLOAT32, i64(1, 2).div(2.0));
        assertExactly(new double[] {0.5, 1}, i64(1, 2).div(2.0));
        assertDType(FLOAT32, i64(1, 2).div(i64(4, 4)));
        assertDType(FLOAT32, bools(true, false).div(bools(true, true)));
        assertDType(FLOAT64, f64(1, 2).div(i32(2, 2)));
        assertDType(FLOAT16, typed(FLOAT16, new double[] {1}).div(i32(2)));
        assertExactly(new double[] {0.5}, typed(FLOAT16, new double[] {1}).div(i32(2)));
    }

    @Test
    void comparisonsPromoteTheirOperandsAndGiveBool() {
        assertBools(new boolean[] {false, true, true}, i32(1, 2, 3).gt(1.5));
        assertBools(new boolean[] {true, false, false}, i32(1, 2, 3).lt(f64(1.5, 1.5, 1.5)));
        assertBools(new boolean[] {false, true}, typed(FLOAT16, new double[] {1, 2}).eq(typed(BFLOAT16, new double[] {2, 2})));
        assertBools(new boolean[] {true, false}, bools(true, false).eq(i64(1, 1)));
        // int64 compared with an integer stays exact beyond 2^53: 2^53 + 1 != 2^53
        assertBools(new boolean[] {false}, i64((1L << 53) + 1).eq(1L << 53));
        assertBools(new boolean[] {true}, i64((1L << 53) + 1).ne(1L << 53));
    }

    @Test
    void promotionWorksOnEveryElementwiseRule() {
        assertDType(FLOAT32, i32(4).sqrt());
        assertDType(FLOAT32, i64(0).exp());
        assertDType(FLOAT32, i32(1).sigmoid());
        assertDType(INT32, i32(-4).abs());
        assertDType(BOOL, i32(0, 1).logicalNot());
        assertDType(FLOAT64, i32(1).pow(f64(2)));
        assertDType(INT64, i64(3).pow(2));
        assertDType(FLOAT32, i64(3).pow(0.5));
    }

    @Property(tries = 200)
    void promoteIsCommutative(@ForAll DType a, @ForAll DType b) {
        assertEquals(DType.promote(a, b), DType.promote(b, a));
    }

    @Property(tries = 400)
    void promoteIsAssociative(@ForAll DType a, @ForAll DType b, @ForAll DType c) {
        assertEquals(DType.promote(DType.promote(a, b), c), DType.promote(a, DType.promote(b, c)), a + ", " + b + ", " + c);
    }

    @Property(tries = 100)
    void promotionOfThreeTensorsIsThePairwisePromotion(@ForAll DType a, @ForAll DType b, @ForAll DType c) {
        // where(cond, x, y) and cat promote all their tensor operands together, as the table says pairwise
        Tensor x = Tensors.ones(Shape.of(1), a, device());
        Tensor y = Tensors.ones(Shape.of(1), b, device());
        Tensor z = Tensors.ones(Shape.of(1), c, device());
        DType expected = pytorchPromote(pytorchPromote(a, b), c);
        assertEquals(expected, Tensors.cat(java.util.List.of(x, y, z), 0).dtype());
    }
}
