// swift-tools-version:6.0
import PackageDescription

/// Strict habits for every target of ours: explicit `any` for existentials.
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "bmet-apprenticeship",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bmet", targets: ["bmet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        // The driver's own SQLite packages, named for the hot paths that run statements inline (`DirectSQLiteDatabase`).
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.12.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.4.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        // RSA (RS256, in _CryptoExtras) and Ed25519 for the verifiable credentials (VC-JWT); Vapor already pulls it in,
        // so any version it accepts.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3" ..< "5.0.0"),
        // GZIP (zlib) for the Bitstring Status List.
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        // Tests only: Vapor's JWT library verifies the issued credentials as a second, independent JOSE implementation.
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.0.0"),
    ],
    targets: [
        // Pure domain rules: standards, validation, progress. No Vapor here, so it stays fast to test.
        .target(name: "BMETDomain", swiftSettings: strict),
        // Outgoing mail: the sender protocol, a logging sender and an SMTP client on SwiftNIO.
        .target(
            name: "BMETMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Verifiable credentials: Open Badges 3.0 / CLR 2.0 as VC-JWT (RS256; EdDSA verified), issuer keys, did:web, JWK set, offline
        // verification and the Bitstring Status List. No Vapor, so the web app and tools can both use it.
        .target(
            name: "BMETCredentials",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                // RSA (RS256, PKCS#1 v1.5), which 1EdTech's validator requires of a VC-JWT.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BMETApp",
            dependencies: [
                "BMETDomain",
                "BMETMail",
                "BMETDocuments",
                "BMETCredentials",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "Leaf", package: "leaf"),
            ],
            swiftSettings: strict
        ),
        // Cairo (PDF surface, text with fontconfig's DejaVu fonts) and libqrencode, from the system.
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"]), .brew(["cairo"])]
        ),
        .systemLibrary(
            name: "CQRencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"]), .brew(["qrencode"])]
        ),
        // The completion certificate and the transcript as PDFs. No Vapor: facts in, PDF bytes out.
        .target(name: "BMETDocuments", dependencies: ["CCairo", "CQRencode"], swiftSettings: strict),
        .executableTarget(name: "bmet", dependencies: ["BMETApp"], swiftSettings: strict),
        .testTarget(name: "BMETDomainTests", dependencies: ["BMETDomain"], swiftSettings: strict),
        .testTarget(name: "BMETDocumentsTests", dependencies: ["BMETDocuments"], swiftSettings: strict),
        .testTarget(
            name: "BMETCredentialsTests",
            dependencies: [
                "BMETCredentials", .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BMETMailTests",
            dependencies: [
                "BMETMail",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BMETAppTests",
            dependencies: [
                "BMETApp",
                "BMETMail",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            swiftSettings: strict
        ),
    ]
)
