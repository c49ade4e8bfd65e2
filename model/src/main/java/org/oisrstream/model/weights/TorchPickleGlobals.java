package org.oisrstream.model.weights;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;

/**
 * The allow-list of Python globals a checkpoint of tensors may name. Anything else is refused by name when the
 * pickle mentions it, before it could be called: nothing outside this class is ever resolved or instantiated.
 */
final class TorchPickleGlobals {

    static final String ALLOWED =
            "collections.OrderedDict, torch._utils._rebuild_tensor_v2, _rebuild_parameter and torch.*Storage types";

    private TorchPickleGlobals() {
    }

    static IObjectConstructor resolve(String module, String name) {
        String qualified = module + "." + name;
        switch (qualified) {
            case "collections.OrderedDict":
                return TorchPickleGlobals::orderedDict;
            case "torch._utils._rebuild_tensor_v2":
                return TorchPickleGlobals::rebuildTensorV2;
            case "torch._utils._rebuild_parameter":
                return TorchPickleGlobals::rebuildParameter;
            default:
                break;
        }
        if (module.equals("torch")) {
            var storage = TorchStorageType.byClassName(name);
            if (storage.isPresent()) {
                return storage.get();
            }
            if (TorchStorageType.isKnownUnsupported(name)) {
                throw new UnpicklingRefusedException("storage type " + qualified + " is not supported (supported: "
                        + TorchStorageType.supportedNames() + ")");
            }
        }
        throw new UnpicklingRefusedException("refusing to load Python global '" + qualified
                + "': a weights checkpoint may only use " + ALLOWED);
    }

    /** OrderedDict() or OrderedDict([(key, value), ...]). */
    private static Object orderedDict(Object[] args) {
        Map<Object, Object> map = new LinkedHashMap<>();
        if (args.length == 0) {
            return map;
        }
        if (args.length == 1 && args[0] instanceof List<?> pairs) {
            for (Object pair : pairs) {
                if (!(pair instanceof Object[] kv) || kv.length != 2) {
                    throw new UnpicklingRefusedException("OrderedDict(...) argument is not a list of pairs");
                }
                map.put(kv[0], kv[1]);
            }
            return map;
        }
        throw new UnpicklingRefusedException("OrderedDict called with " + args.length + " unexpected arguments");
    }

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private static Object rebuildTensorV2(Object[] args) {
        if (args.length < 4 || args.length > 7) {
            throw new UnpicklingRefusedException("_rebuild_tensor_v2 called with " + args.length + " arguments");
        }
        if (!(args[0] instanceof StorageView view)) {
            throw new UnpicklingRefusedException("_rebuild_tensor_v2 called without a storage persistent id");
        }
        long offset = toLong(args[1], "storage offset");
        long[] size = toLongs(args[2], "size");
        long[] stride = toLongs(args[3], "stride");
        return new PickledTensor(view.storage(), view.offset(), view.numel(), offset, size, stride);
    }

    /** _rebuild_parameter(data, requires_grad, backward_hooks): the parameter is just its tensor here. */
    private static Object rebuildParameter(Object[] args) {
        if (args.length != 3 || !(args[0] instanceof PickledTensor tensor)) {
            throw new UnpicklingRefusedException("_rebuild_parameter called without a tensor");
        }
        return tensor;
    }

    static long toLong(Object value, String what) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        throw new UnpicklingRefusedException(what + " is " + describe(value) + ", not an integer");
    }

    private static long[] toLongs(Object value, String what) {
        if (!(value instanceof Object[] tuple)) {
            throw new UnpicklingRefusedException(what + " is " + describe(value) + ", not a tuple of integers");
        }
        long[] out = new long[tuple.length];
        for (int i = 0; i < tuple.length; i++) {
            out[i] = toLong(tuple[i], what + " element");
        }
        return out;
    }

    static String describe(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName();
    }

    /** What a storage persistent id resolves to: a storage, or an element range of one (old storage views). */
    record StorageView(PickledStorage storage, long offset, long numel) {
        StorageView {
            if (offset < 0 || numel < 0 || offset + numel > storage.numel()) {
                throw new UnpicklingRefusedException("storage view [" + offset + ", " + (offset + numel)
                        + ") is outside storage " + storage.key() + " of " + storage.numel() + " elements");
            }
        }
    }
}
