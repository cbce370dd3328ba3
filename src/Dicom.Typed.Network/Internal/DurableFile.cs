using System.Runtime.InteropServices;

namespace Dicom.Typed.Network;

/// <summary>File operations that survive a crash of the machine: a rename or delete is durable only once the directory
/// that holds the entry is flushed too (ext4, XFS, APFS do not promise it otherwise). On Linux and macOS the directory is
/// opened read-only and fsync'ed (libc <c>open</c>/<c>fsync</c>/<c>close</c>); on Windows <see cref="File.Move(string, string, bool)"/>
/// (MoveFileEx) and <see cref="File.Delete"/> are left as they are.</summary>
internal static partial class DurableFile
{
    /// <summary>Renames <paramref name="tempPath"/> over <paramref name="finalPath"/> (replacing it), then flushes the directory.
    /// The caller has flushed the content of <paramref name="tempPath"/> to disk before.</summary>
    public static void Replace(string tempPath, string finalPath)
    {
        File.Move(tempPath, finalPath, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(finalPath))!);
    }

    /// <summary>Deletes <paramref name="path"/> (nothing to do when it is gone), then flushes the directory.</summary>
    public static void Delete(string path)
    {
        if (!File.Exists(path)) return;
        File.Delete(path);
        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Makes the entries of <paramref name="directory"/> (renames, creations, deletions) durable. No-op on Windows.</summary>
    /// <exception cref="IOException">The directory could not be opened or flushed (the message names it and the errno).</exception>
    public static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        // O_RDONLY = 0 on both; O_CLOEXEC keeps the descriptor out of child processes (Linux 0x80000, macOS 0x1000000).
        int flags = OperatingSystem.IsLinux() ? 0x80000 : 0x1000000;
        int fd = open(directory, flags);
        if (fd < 0) throw Error("open", directory);
        try
        {
            // EINVAL/ENOTSUP: the file system cannot sync directories (some FUSE and network mounts); nothing more to do there.
            if (fsync(fd) != 0 && Marshal.GetLastPInvokeError() is not (22 or 45 or 95 or 102)) throw Error("fsync", directory);
        }
        finally
        {
            close(fd);
        }
    }

    private static IOException Error(string call, string directory)
    {
        int errno = Marshal.GetLastPInvokeError();
        string text = Marshal.GetPInvokeErrorMessage(errno);
        return errno == 2
            ? new DirectoryNotFoundException($"{call}({directory}) failed: {text} (errno {errno})")
            : new IOException($"{call}({directory}) failed: {text} (errno {errno})", errno);
    }

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
#pragma warning disable SYSLIB1054, CA2101 // LibraryImport would need unsafe code in this project; UTF-8 paths: see below
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
#pragma warning restore SYSLIB1054, CA2101

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
#pragma warning restore SYSLIB1054
}
