import Foundation

/// Reads one input file, refusing what is not a regular file of bounded size before reading a byte:
/// a FIFO would block forever and `/dev/zero` would never end.
public enum InputFile {
    static func read(root: String, path: String) throws(DiagnosticsError) -> String {
        try read(root + "/" + path, shownAs: path)
    }

    /// Reads the file at `full`; diagnostics name it `path`.
    public static func read(_ full: String, shownAs path: String) throws(DiagnosticsError) -> String {
        let at = SourcePosition(file: path, line: 1, column: 1)
        var info = stat()
        guard stat(full, &info) == 0 else {
            throw DiagnosticsError([.error("cannot read file: \(reason(full))", at: at, id: .unreadableFile)])
        }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else {
            throw DiagnosticsError([
                .error("cannot read file: it is \(describe(type)), not a regular file", at: at, id: .unreadableFile)
            ])
        }
        guard info.st_size <= off_t(YAMLTreeLoader.maximumBytes) else {
            throw DiagnosticsError([
                .error("file is larger than \(YAMLTreeLoader.maximumBytes >> 20) MiB", at: at, id: .inputLimit)
            ])
        }
        guard let handle = FileHandle(forReadingAtPath: full) else {
            throw DiagnosticsError([.error("cannot read file: \(reason(full))", at: at, id: .unreadableFile)])
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: YAMLTreeLoader.maximumBytes + 1) ?? Data()
        } catch {
            throw DiagnosticsError([.error("cannot read file: \(reason(full))", at: at, id: .unreadableFile)])
        }
        if data.count > YAMLTreeLoader.maximumBytes {
            throw DiagnosticsError([
                .error("file is larger than \(YAMLTreeLoader.maximumBytes >> 20) MiB", at: at, id: .inputLimit)
            ])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DiagnosticsError([.error("cannot read file: it is not UTF-8 text", at: at, id: .unreadableFile)])
        }
        return text
    }

    /// Why `path` cannot be read, from the system's own error (not Foundation's permission guess).
    static func reason(_ path: String) -> String {
        var info = stat()
        if lstat(path, &info) != 0 { return String(cString: strerror(errno)) }
        if stat(path, &info) != 0 { return String(cString: strerror(errno)) }
        if access(path, R_OK) != 0 { return String(cString: strerror(errno)) }
        if info.st_mode & S_IFMT != S_IFDIR, info.st_mode & S_IFMT != S_IFREG {
            return "it is \(describe(info.st_mode & S_IFMT))"
        }
        return "unreadable"
    }

    private static func describe(_ type: mode_t) -> String {
        switch type {
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }
}
