package org.oisrstream.model.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.PickleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-written pickles: everything outside the allow-list is refused by name before razorvine can build it. */
class RestrictedUnpicklerTest {

    private static Object unpickle(String latin1) throws IOException {
        byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
        return RestrictedUnpickler.unpickle(new ByteBufferInput(ByteBuffer.wrap(bytes)));
    }

    static Stream<Arguments> foreignGlobals() {
        return Stream.of(
                // GLOBAL + REDUCE, protocol 0
                Arguments.of("cos\nsystem\n(S'touch /tmp/x'\ntR.", "os.system"),
                // STACK_GLOBAL, protocol 4
                Arguments.of("\u0080\u0004\u008c\u0008builtins\u008c\u0004eval\u0093\u008c\u00031+1\u0085R.",
                        "builtins.eval"),
                Arguments.of("csubprocess\nPopen\n(S'ls'\ntR.", "subprocess.Popen"),
                // INST names its class inline
                Arguments.of("(S'touch /tmp/x'\nios\nsystem\n.", "os.system"),
                // Globals razorvine itself would construct (its registry, exceptions, ClassDict fallback)
                Arguments.of("cdatetime\ndatetime\n(S'x'\ntR.", "datetime.datetime"),
                Arguments.of("ccopy_reg\n_reconstructor\n(tR.", "copy_reg._reconstructor"),
                Arguments.of("c__builtin__\nset\n(tR.", "__builtin__.set"),
                Arguments.of("cbuiltins\nValueError\n(tR.", "builtins.ValueError"),
                Arguments.of("cbuiltins\ngetattr\n(tR.", "builtins.getattr"),
                Arguments.of("ctorch\ndevice\n(S'cpu'\ntR.", "torch.device"),
                Arguments.of("ctorch._utils\n_rebuild_from_type_v2\n(tR.", "torch._utils._rebuild_from_type_v2"));
    }

    @ParameterizedTest
    @MethodSource("foreignGlobals")
    void refusesAnyOtherGlobalByName(String pickle, String global) {
        UnpicklingRefusedException e = assertThrows(UnpicklingRefusedException.class, () -> unpickle(pickle));
        assertTrue(e.getMessage().contains("'" + global + "'"), e.getMessage());
    }

    @Test
    void refusesUnsupportedStorageTypesAndCallingStorageClasses() {
        assertTrue(assertThrows(UnpicklingRefusedException.class, () -> unpickle("ctorch\nBoolStorage\n."))
                .getMessage().contains("torch.BoolStorage is not supported"));
        assertTrue(assertThrows(UnpicklingRefusedException.class, () -> unpickle("ctorch\nFloatStorage\n(I10\ntR."))
                .getMessage().contains("calls torch.FloatStorage"));
    }

    @Test
    void refusesObjBuildOnNonDictsAndForeignPersistentIds() {
        assertTrue(assertThrows(UnpicklingRefusedException.class,
                () -> unpickle("(ccollections\nOrderedDict\no.")).getMessage().contains("OBJ"));
        assertTrue(assertThrows(UnpicklingRefusedException.class, () -> unpickle("]}b.")).getMessage()
                .contains("BUILD"));
        assertTrue(assertThrows(UnpicklingRefusedException.class, () -> unpickle("S'x'\nQ.")).getMessage()
                .contains("persistent id"));
    }

    @Test
    void corruptLengthsFailCleanlyWithoutHugeAllocations() {
        PickleException e = assertThrows(PickleException.class,
                () -> unpickle("\u0080\u0004\u008e\u0000\u0000\u0000\u0000\u0000\u0001\u0000\u0000."));
        assertTrue(e.getMessage().contains("BINBYTES8 wants 1099511627776 bytes"), e.getMessage());
        assertTrue(assertThrows(PickleException.class, () -> unpickle("X\u00ff\u00ff\u00ff\u007fabc."))
                .getMessage().contains("BINUNICODE wants"));
        assertTrue(assertThrows(PickleException.class, () -> unpickle("\u0080\u0002}(X\u0001\u0000\u0000\u0000a"))
                .getMessage().contains("truncated"));
        assertTrue(assertThrows(PickleException.class, () -> unpickle("0.")).getMessage().startsWith("corrupt"));
    }

    @Test
    void dictsKeepPickleOrder() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x80, 2});
        out.writeBytes("ccollections\nOrderedDict\n)R(".getBytes(StandardCharsets.ISO_8859_1));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String key = "body." + ((i * 37) % 200) + ".weight";
            keys.add(key);
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            out.write(new byte[] {(byte) k.length, 0, 0, 0});
            out.writeBytes(k);
            out.write('K');
            out.write(i % 256);
        }
        out.writeBytes("u}(X\u0001\u0000\u0000\u0000_K\u0001ub.".getBytes(StandardCharsets.ISO_8859_1));
        Object result = RestrictedUnpickler.unpickle(new ByteBufferInput(ByteBuffer.wrap(out.toByteArray())));
        assertEquals(keys, new ArrayList<>(((Map<?, ?>) result).keySet()));
    }

    @Test
    void orderedDictFromPairsIsAllowed() throws IOException {
        Object result = unpickle("ccollections\nOrderedDict\n((lp0\n(S'b'\nI1\ntp1\na(S'a'\nI2\ntp2\natR.");
        assertEquals(List.of("b", "a"), new ArrayList<>(((Map<?, ?>) result).keySet()));
    }
}
