package org.oisrstream.model.weights;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.razorvine.pickle.IObjectConstructor;

/**
 * The {@code torch.*Storage} classes a checkpoint may name in a storage's persistent id. They are markers for the
 * element type only: calling one from a pickle is refused.
 */
enum TorchStorageType implements IObjectConstructor {
    FLOAT("FloatStorage", DType.F32),
    HALF("HalfStorage", DType.F16),
    BFLOAT16("BFloat16Storage", DType.BF16),
    DOUBLE("DoubleStorage", DType.F64),
    LONG("LongStorage", DType.I64),
    INT("IntStorage", DType.I32),
    BYTE("ByteStorage", DType.U8);

    /** Storage classes torch has but a weights state dict never needs; named so the refusal can say so. */
    private static final Set<String> KNOWN_UNSUPPORTED = Set.of(
            "ShortStorage", "CharStorage", "BoolStorage", "ComplexFloatStorage", "ComplexDoubleStorage",
            "QInt8Storage", "QUInt8Storage", "QInt32Storage", "QUInt4x2Storage", "QUInt2x4Storage",
            "UntypedStorage", "TypedStorage");

    private final String className;
    private final DType dtype;

    TorchStorageType(String className, DType dtype) {
        this.className = className;
        this.dtype = dtype;
    }

    DType dtype() {
        return dtype;
    }

    String qualifiedName() {
        return "torch." + className;
    }

    static Optional<TorchStorageType> byClassName(String name) {
        return Arrays.stream(values()).filter(t -> t.className.equals(name)).findFirst();
    }

    static boolean isKnownUnsupported(String name) {
        return KNOWN_UNSUPPORTED.contains(name);
    }

    static String supportedNames() {
        return Arrays.stream(values()).map(TorchStorageType::qualifiedName).collect(Collectors.joining(", "));
    }

    @Override
    public Object construct(Object[] args) {
        throw new UnpicklingRefusedException("pickle calls " + qualifiedName()
                + "(...): storages may only be referenced by persistent id");
    }
}
