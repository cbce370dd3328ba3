// Dicom.Typed benchmarks (run on demand, not in CI):
//   dotnet run -c Release --project tests/Dicom.Typed.Benchmarks -- --filter '*'
// Side-by-side with DCMTK and pydicom: tests/Dicom.Typed.Benchmarks/compare.sh
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Dicom.Typed.Benchmarks.ParseBenchmarks).Assembly).Run(args);
