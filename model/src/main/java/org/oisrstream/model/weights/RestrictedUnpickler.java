package org.oisrstream.model.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * A razorvine unpickler that only builds what a checkpoint of tensors needs. Every opcode that names a Python
 * global (GLOBAL, STACK_GLOBAL, INST) goes through {@link TorchPickleGlobals}, so razorvine's own registry and its
 * ClassDict fallback for unknown classes are never reached; OBJ is refused; BUILD is only accepted on dicts. Dicts
 * keep pickle order (razorvine uses HashMaps). Length-prefixed opcodes are checked against the bytes left, so a
 * corrupt length fails cleanly instead of allocating gigabytes.
 *
 * <p>The input stream must report the exact number of bytes left in {@link InputStream#available()}.
 */
final class RestrictedUnpickler extends Unpickler {

    private static final short BINBYTES = 'B';
    private static final short BINUNICODE = 'X';
    private static final short BINSTRING = 'T';
    private static final short LONG4 = 0x8b;
    private static final short BINUNICODE8 = 0x8d;
    private static final short BINBYTES8 = 0x8e;
    private static final short BYTEARRAY8 = 0x96;

    private final Function<Object[], Object> persistentLoader;

    /** @param persistentLoader resolves a persistent id tuple ({@code ('storage', ...)}) to an object */
    RestrictedUnpickler(Function<Object[], Object> persistentLoader) {
        this.persistentLoader = persistentLoader;
    }

    /** Unpickles one pickle from {@code in}, leaving the stream just after its STOP opcode. */
    static Object unpickle(InputStream in, Function<Object[], Object> persistentLoader) throws IOException {
        try {
            return new RestrictedUnpickler(persistentLoader).load(in);
        } catch (UnpicklingRefusedException e) {
            throw e;
        } catch (IOException e) {
            throw new PickleException("truncated or corrupt pickle: " + e.getMessage(), e);
        } catch (PickleException | ClassCastException | IndexOutOfBoundsException | NumberFormatException
                 | ArithmeticException | NullPointerException | NegativeArraySizeException e) {
            throw new PickleException("corrupt pickle: " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    /** For pickles without persistent ids (the legacy header pickles). */
    static Object unpickle(InputStream in) throws IOException {
        return unpickle(in, pid -> {
            throw new UnpicklingRefusedException("unexpected persistent id in a header pickle");
        });
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(TorchPickleGlobals.resolve(module, name));
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new PickleException("STACK_GLOBAL without module and name strings");
                }
                stack.add(TorchPickleGlobals.resolve(m, n));
            }
            case Opcodes.INST -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                TorchPickleGlobals.resolve(module, name);
                throw new UnpicklingRefusedException("pickle opcode INST (" + module + "." + name
                        + ") is not used in tensor checkpoints");
            }
            case Opcodes.OBJ -> throw new UnpicklingRefusedException(
                    "pickle opcode OBJ (object construction) is not used in tensor checkpoints");
            case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
            case Opcodes.DICT -> stack.add(putPairs(new LinkedHashMap<>(), stack.pop_all_since_marker()));
            case Opcodes.SETITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                putPairs(targetDict("SETITEMS"), items);
            }
            case Opcodes.SETITEM -> {
                Object value = stack.pop();
                Object k = stack.pop();
                targetDict("SETITEM").put(k, value);
            }
            case Opcodes.BUILD -> build();
            case BINBYTES -> stack.add(readBytes(readLength(4), "BINBYTES"));
            case BINBYTES8, BYTEARRAY8 -> stack.add(readBytes(readLength(8), "BINBYTES8"));
            case BINUNICODE -> stack.add(new String(readBytes(readLength(4), "BINUNICODE"), StandardCharsets.UTF_8));
            case BINUNICODE8 -> stack.add(new String(readBytes(readLength(8), "BINUNICODE8"),
                    StandardCharsets.UTF_8));
            case BINSTRING -> stack.add(PickleUtils.rawStringFromBytes(readBytes(readLength(4), "BINSTRING")));
            case LONG4 -> stack.add(PickleUtils.decode_long(readBytes(readLength(4), "LONG4")));
            default -> {
                return super.dispatch(key);
            }
        }
        return NO_RETURN_VALUE;
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] tuple) || tuple.length == 0 || !"storage".equals(tuple[0])) {
            throw new UnpicklingRefusedException("unsupported persistent id " + TorchPickleGlobals.describe(pid)
                    + " (expected ('storage', ...))");
        }
        return persistentLoader.apply(tuple);
    }

    @Override
    protected Object next_buffer() {
        throw new UnpicklingRefusedException("pickle protocol 5 out-of-band buffers are not used in checkpoints");
    }

    /**
     * BUILD sets an object's state. Torch pickles a state dict's {@code _metadata} attribute (module versions) this
     * way on the OrderedDict; that state is dropped. On anything else BUILD is refused.
     */
    private void build() {
        Object state = stack.pop();
        Object target = stack.peek();
        if (target instanceof Map<?, ?> && (state == null || state instanceof Map<?, ?>)) {
            return;
        }
        throw new UnpicklingRefusedException("pickle sets the state of a " + TorchPickleGlobals.describe(target)
                + " (BUILD): not used in tensor checkpoints");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> targetDict(String opcode) {
        Object target = stack.peek();
        if (!(target instanceof Map<?, ?>)) {
            throw new PickleException(opcode + " on a " + TorchPickleGlobals.describe(target) + ", not a dict");
        }
        return (Map<Object, Object>) target;
    }

    private static Map<Object, Object> putPairs(Map<Object, Object> map, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw new PickleException("odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            map.put(items.get(i), items.get(i + 1));
        }
        return map;
    }

    private long readLength(int bytes) throws IOException {
        byte[] raw = PickleUtils.readbytes(input, bytes);
        long value = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            value = (value << 8) | (raw[i] & 0xff);
        }
        return value;
    }

    private byte[] readBytes(long length, String opcode) throws IOException {
        int left = input.available();
        if (length < 0 || length > left) {
            throw new PickleException("corrupt pickle: " + opcode + " wants " + Long.toUnsignedString(length)
                    + " bytes but only " + left + " are left");
        }
        return PickleUtils.readbytes(input, (int) length);
    }
}
