// dispo's local-history benchmark. Prints numbers; asserts nothing.
// Run: swift run -c release dispo-bench [history] [--calls N] [--state DIR]
// The view model's keystroke benchmarks (reduce + render, the filter, memory) run on package-benchmark:
//      swift package benchmark --target ViewModelBenchmarks
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Milliseconds in `d`.
func ms(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

setlocale(LC_ALL, "C.UTF-8")
var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "history" { arguments.removeFirst() }
do { try HistoryBenchmark.run(arguments) } catch { print("history benchmark failed: \(error)"); exit(1) }
