/// The flags among `flags` whose options were given: each flag's spelling and whether it was,
/// in the order listed (what an option group says it was `given`).
func flagsGiven(_ flags: KeyValuePairs<String, Bool>) -> [String] {
    flags.filter(\.value).map(\.key)
}
