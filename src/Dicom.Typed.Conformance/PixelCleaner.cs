namespace Dicom.Typed.Conformance;

/// <summary>A rectangle of pixels (column <paramref name="X"/>, row <paramref name="Y"/>, both 0-based) holding burned-in annotation.</summary>
/// <param name="X">First column.</param>
/// <param name="Y">First row.</param>
/// <param name="Width">Number of columns.</param>
/// <param name="Height">Number of rows.</param>
public readonly record struct PixelRegion(int X, int Y, int Width, int Height);

/// <summary>Blanks regions of native (uncompressed) pixel data: the Clean Pixel Data Option of PS3.15 E.3.1.</summary>
public static class PixelCleaner
{
    /// <summary>
    /// Sets every sample inside the regions to zero in every frame, replacing Pixel Data (7FE0,0010) in <paramref name="dataset"/>
    /// by a cleaned copy. Returns false when the data set has no pixel data.
    /// </summary>
    /// <param name="dataset">The data set (changed).</param>
    /// <param name="regions">Regions, clipped to the image.</param>
    /// <exception cref="DicomValueException">Encapsulated (compressed) pixel data, 1-bit pixels, or pixel data shorter than Rows × Columns × frames.</exception>
    public static bool Clean(DicomDataset dataset, IReadOnlyList<PixelRegion> regions)
    {
        var item = dataset[DicomTag.PixelData];
        if (item is null) return false;
        if (item is not DicomElement pixels)
        {
            throw new DicomValueException(DicomTag.PixelData, "encapsulated (compressed) pixel data cannot be cleaned; decompress it first or do not use the Clean Pixel Data option");
        }
        int rows = dataset.GetValueOrDefault<ushort>(DicomTag.Rows, 0, (ushort)0);
        int columns = dataset.GetValueOrDefault<ushort>(DicomTag.Columns, 0, (ushort)0);
        int bits = dataset.GetValueOrDefault<ushort>(DicomTag.BitsAllocated, 0, (ushort)0);
        int samples = Math.Max((int)dataset.GetValueOrDefault<ushort>(DicomTag.SamplesPerPixel, 0, (ushort)0), 1);
        int planar = dataset.GetValueOrDefault<ushort>(DicomTag.PlanarConfiguration, 0, (ushort)0);
        int frames = int.TryParse(dataset.GetStringOrDefault(DicomTag.NumberOfFrames)?.Trim(), out var f) && f > 0 ? f : 1;
        if (bits % 8 != 0 || bits == 0)
        {
            throw new DicomValueException(DicomTag.BitsAllocated, $"pixel cleaning needs whole-byte samples; Bits Allocated is {bits}");
        }
        int bytes = bits / 8;
        long frameBytes = (long)rows * columns * samples * bytes;
        var data = pixels.Buffer.Memory.ToArray();
        if (frameBytes == 0 || data.Length < frameBytes * frames)
        {
            throw new DicomValueException(DicomTag.PixelData, $"{data.Length} bytes of pixel data for {frames} frame(s) of {rows}×{columns}×{samples}×{bytes} bytes");
        }
        foreach (var region in regions)
        {
            int x0 = Math.Clamp(region.X, 0, columns), x1 = Math.Clamp(region.X + region.Width, 0, columns);
            int y0 = Math.Clamp(region.Y, 0, rows), y1 = Math.Clamp(region.Y + region.Height, 0, rows);
            if (x1 <= x0 || y1 <= y0) continue;
            for (int fr = 0; fr < frames; fr++)
            {
                long frameStart = fr * frameBytes;
                if (planar == 1 && samples > 1)
                {
                    long plane = (long)rows * columns * bytes;
                    for (int s = 0; s < samples; s++)
                        for (int y = y0; y < y1; y++)
                            Array.Clear(data, (int)(frameStart + s * plane + ((long)y * columns + x0) * bytes), (x1 - x0) * bytes);
                }
                else
                {
                    int pixel = samples * bytes;
                    for (int y = y0; y < y1; y++)
                        Array.Clear(data, (int)(frameStart + ((long)y * columns + x0) * pixel), (x1 - x0) * pixel);
                }
            }
        }
        dataset.AddOrUpdate(new DicomElement(DicomTag.PixelData, pixels.VR, DicomBuffer.FromMemory(data)));
        return true;
    }
}
