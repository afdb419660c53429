import ConsoleKit

extension Console {
    /// Rewrites the current terminal line with a short status (and a bar when the share done is known), so long
    /// commands show they are moving without scrolling the screen.
    func progressLine(_ text: String, done: Int? = nil, of total: Int? = nil) {
        var line = text
        if let done, let total, total > 0 {
            let width = 20
            let filled = min(width, done * width / total)
            line = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] \(done * 100 / total)% " + text
        }
        output("\r\u{1B}[K\(line)".consoleText(), newLine: false)
    }

    /// Ends a progress line, so what follows starts on a line of its own.
    func endProgressLine() {
        output("".consoleText(), newLine: true)
    }
}
