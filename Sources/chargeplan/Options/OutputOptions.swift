import ArgumentParser

/// `--output DIR` of the commands that write a folder of files, relative to `--root` unless absolute.
struct OutputOptions<Folder: OutputFolder>: ParsableArguments {
    @Option(name: .shortAndLong, help: "Output folder.")
    var output: String = Folder.name
}
