// Times per-channel PReLU formulations against LibTorch's native prelu (forward, and forward + backward under the
// training step's bf16 autocast) at the training shape 16x64x48x48 and the inference shape 1x64x180x320, in fp32/bf16
// and NCHW/channels-last, with a ReLU and a 64->64 3x3 conv (input gradient only) for scale. Median of 7 runs.
// Run from the repository root after `mvn -q -B -o -DskipTests package`:
//   java -cp "jobs/target/lib/*" tools/PreluBench.java THREADS
// Results and conclusions: docs/benchmarks.md, section "PReLU".
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.*;
import org.bytedeco.pytorch.global.torch;

public class PreluBench {
    interface Op { Tensor apply(Tensor x, Tensor w); }
    static Tensor wc(Tensor w, Tensor x, long c) { return w.to(x.scalar_type()).view(1, c, 1, 1); }
    static Tensor[] CW = new Tensor[1];
    public static void main(String[] a) {
        CW[0] = torch.randn(64, 64, 3, 3).mul(new Scalar(0.05));
        int threads = Integer.parseInt(a[0]);
        torch.set_num_threads(threads);
        long[][] shapes = {{16, 64, 48, 48}, {1, 64, 180, 320}};
        String[] names = {"relu (baseline, not PReLU)", "conv3x3 64->64 (reference)", "torch.prelu (PReLUImpl)", "relu+w*clamp_max", "clamp_min+w*clamp_max", "where(x>0,x,w*x)"};
        Op[] ops = {
            (x, w) -> x.relu(),
            (x, w) -> torch.conv2d(x, CW[0].to(x.scalar_type()), new TensorOptional(), new long[]{1,1}, new long[]{1,1}, new long[]{1,1}, 1),
            (x, w) -> torch.prelu(x, w),
            (x, w) -> x.relu().add(wc(w, x, x.size(1)).mul(x.clamp_max(new Scalar(0.0)))),
            (x, w) -> x.clamp_min(new Scalar(0.0)).add(wc(w, x, x.size(1)).mul(x.clamp_max(new Scalar(0.0)))),
            (x, w) -> torch.where(x.gt(new Scalar(0.0)), x, wc(w, x, x.size(1)).mul(x)),
        };
        for (long[] s : shapes) for (boolean bf16 : new boolean[]{false, true}) for (boolean cl : new boolean[]{false, true}) {
            for (int k = 0; k < ops.length; k++) {
                boolean train = s[0] == 16;
                double best = 1e9, bestF = 1e9; int reps = 7; double[] all = new double[reps]; double[] allF = new double[reps];
                String dtypeOut = "";
                for (int r = 0; r < reps + 1; r++) try (PointerScope scope = new PointerScope()) {
                    torch.manual_seed(1);
                    Tensor x = torch.randn(s);
                    if (bf16) x = x.to(torch.ScalarType.BFloat16);
                    if (cl) x = x.contiguous(torch.MemoryFormat.ChannelsLast);
                    Tensor w = torch.full(new long[]{s[1]}, new Scalar(0.25));
                    // training under autocast: fp32 master weight; inference: weight in trunk dtype
                    if (!train && bf16) w = w.to(torch.ScalarType.BFloat16);
                    if (train) { x.set_requires_grad(true); w.set_requires_grad(true); }
                    if (train && bf16) { torch.set_autocast_dtype(torch.DeviceType.CPU, torch.ScalarType.BFloat16); torch.set_autocast_enabled(torch.DeviceType.CPU, true); }
                    NoGradGuard ng = train ? null : new NoGradGuard();
                    long t0 = System.nanoTime();
                    Tensor y = ops[k].apply(x, w);
                    long t1 = System.nanoTime();
                    if (train) { torch.set_autocast_enabled(torch.DeviceType.CPU, false); y.sum().backward(); }
                    long t2 = System.nanoTime();
                    if (ng != null) ng.close();
                    dtypeOut = y.scalar_type().toString() + (train ? " wgrad " + w.grad().scalar_type() : "")
                        + (y.is_contiguous(torch.MemoryFormat.ChannelsLast) && cl ? " CL" : "");
                    if (r > 0) { all[r-1] = (t2 - t0) / 1e9; allF[r-1] = (t1 - t0) / 1e9; }
                }
                java.util.Arrays.sort(all); java.util.Arrays.sort(allF); best = all[reps/2]; bestF = allF[reps/2];
                System.out.printf("%-16s %-5s %-4s %-28s fwd %.4f  %s %.4f  [%s]%n", java.util.Arrays.toString(s),
                        bf16 ? "bf16" : "fp32", cl ? "CL" : "NCHW", names[k], bestF, train ? "fwd+bwd" : "total", best, dtypeOut);
            }
        }
    }
}
