// The view model's share of a keystroke, on package-benchmark's harness (percentiles, allocations,
// resident memory). Run: swift package benchmark --target ViewModelBenchmarks
// The whole path through a pty (key → first byte on the wire) is measured by scripts/bench-keystroke.py.
import Benchmark
import DispoViewModel

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
                                           warmupIterations: 20, maxDuration: .seconds(3), maxIterations: 4_000)

    for count in [1_000, 100_000] {
        for size in [Size(cols: 80, rows: 24), Size(cols: 200, rows: 60)] {
            // One key (j for 500 keys, then k for 500, so the cursor sweeps the list and scrolls) reduced
            // and the frame rendered into a grid.
            Benchmark("key → frame, \(count) calls, \(size.cols)×\(size.rows)") { (benchmark: Benchmark, session: Session) in
                for _ in benchmark.scaledIterations {
                    let key: Key = (session.keys / 500) % 2 == 0 ? .char("j") : .char("k")
                    session.keys += 1
                    _ = reduce(&session.state, .key(key))
                    blackHole(render(session.state, size: size, options: RenderOptions()))
                }
            } setup: {
                Session(Workspace.callsTab(count, size: size))
            }
        }

        // A letter typed into the `/` filter re-filters every loaded call; the backspace that undoes it
        // is not measured.
        Benchmark("first filter keystroke, \(count) calls, 80×24") { (benchmark: Benchmark, session: Session) in
            let size = Size(cols: 80, rows: 24)
            benchmark.startMeasurement()
            _ = reduce(&session.state, .key(.char("r")))
            blackHole(render(session.state, size: size, options: RenderOptions()))
            benchmark.stopMeasurement()
            _ = reduce(&session.state, .key(.backspace))
        } setup: {
            let session = Session(Workspace.callsTab(count, size: Size(cols: 80, rows: 24)))
            _ = reduce(&session.state, .key(.char("/")))
            return session
        }
    }

    // What holding the calls costs: the resident peak while the Calls tab is built with 100 000 calls.
    Benchmark("memory, Calls tab with 100000 calls",
              configuration: .init(metrics: [.peakMemoryResident, .peakMemoryResidentDelta, .mallocCountTotal], warmupIterations: 0, maxIterations: 3)) { _ in
        blackHole(Workspace.callsTab(100_000, size: Size(cols: 80, rows: 24)))
    }
}
