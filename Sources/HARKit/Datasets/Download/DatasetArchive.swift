import Foundation

/// Where a dataset's original archive lives at its publisher, and how it is packed.
public struct DatasetArchive: Sendable, Equatable {
    /// How the archive is compressed.
    public enum Format: String, Sendable { case zip, tarGz = "tar.gz" }

    /// The dataset's canonical name.
    public var name: String
    /// The publisher's URL.
    public var url: URL
    /// The packing, from the URL's file name.
    public var format: Format { url.lastPathComponent.hasSuffix(".zip") ? .zip : .tarGz }

    /// The publishers' archives: the UCI Machine Learning Repository's for four datasets, the WISDM Lab's tar.gz.
    public static let known: [String: DatasetArchive] = [
        "uci-har": DatasetArchive(name: "uci-har", url: URL(string: "https://archive.ics.uci.edu/static/public/240/human+activity+recognition+using+smartphones.zip")!),
        "wisdm": DatasetArchive(name: "wisdm", url: URL(string: "https://www.cis.fordham.edu/wisdm/includes/datasets/latest/WISDM_ar_latest.tar.gz")!),
        "pamap2": DatasetArchive(name: "pamap2", url: URL(string: "https://archive.ics.uci.edu/static/public/231/pamap2+physical+activity+monitoring.zip")!),
        "dsads": DatasetArchive(name: "dsads", url: URL(string: "https://archive.ics.uci.edu/static/public/256/daily+and+sports+activities.zip")!),
        "opportunity": DatasetArchive(name: "opportunity", url: URL(string: "https://archive.ics.uci.edu/static/public/226/opportunity+activity+recognition.zip")!),
    ]
}
