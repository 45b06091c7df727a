package ignis.runtime.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.nn.Linear;
import ignis.tensor.BackendRegistry;
import ignis.tensor.Placement;
import org.junit.jupiter.api.Test;

class ModuleMoveTest {

    // Linear(3, 2): a 2 x 3 weight and a bias of 2, float32: 32 bytes.

    @Test
    void movesAModuleToADeviceAndPlacesItWithThePolicyGiven() {
        try (BackendRegistry.Registration fake = BackendRegistry.register(FakeDevice.ranked(1), "test");
             Linear linear = new Linear(3, 2)) {
            assertEquals("module 'lin' on fake:0, placement STRICT: 2 parameters, 0 buffers, 32 B",
                    ModuleMove.move(linear, "lin", "fake:0", "strict"));
            assertEquals("module 'lin' on cpu, placement FALLBACK: 2 parameters, 0 buffers, 32 B",
                    ModuleMove.move(linear, "lin", "cpu", "FALLBACK"));
        }
    }

    @Test
    void bestPlacesTheModuleOnTheBestDeviceAndItFollowsItAway() {
        try (Linear linear = new Linear(3, 2)) {
            try (BackendRegistry.Registration fake = BackendRegistry.register(FakeDevice.ranked(1_000_000), "test")) {
                assertEquals("module 'lin' on fake:0, placement FOLLOW_BEST: 2 parameters, 0 buffers, 32 B",
                        ModuleMove.move(linear, "lin", "best", null));
            }
            assertTrue(ModuleMove.describe("lin", linear).startsWith("module 'lin' on cpu, placement FOLLOW_BEST"),
                    "back on cpu once the fake device left");
            linear.place(Placement.FALLBACK);
        }
    }

    @Test
    void anUnknownDeviceNamesTheDevicesThatHaveABackend() {
        try (Linear linear = new Linear(3, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModuleMove.move(linear, "lin", "nothing:0", null));
            assertTrue(e.getMessage().startsWith("no backend for device nothing:0 is registered; devices with a backend: [cpu"),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ModuleMove.move(linear, "lin", "CUDA", null), "not a device name");
        }
    }

    @Test
    void anUnknownOrContradictoryPlacementIsRejectedBeforeAnythingMoves() {
        try (Linear linear = new Linear(3, 2)) {
            assertEquals("unknown placement 'sticky': expected strict, fallback or follow_best",
                    assertThrows(IllegalArgumentException.class, () -> ModuleMove.move(linear, "lin", "cpu", "sticky")).getMessage());
            assertEquals("move lin best strict: device 'best' means placement follow_best; name a device to place the module strict",
                    assertThrows(IllegalArgumentException.class, () -> ModuleMove.move(linear, "lin", "best", "strict")).getMessage());
            assertTrue(ModuleMove.describe("lin", linear).contains("placement FALLBACK"));
        }
    }
}
