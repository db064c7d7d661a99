import Foundation

/// Random 3-D rotations, as row-major 3×3 matrices.
enum Rotation3D {
    /// A rotation by a uniform angle up to `maxAngle` (radians) about a uniformly random axis.
    static func random(maxAngle: Double, using random: inout SeededGenerator) -> [Double] {
        var axis = (0..<3).map { _ in Double(random.gaussian()) }
        let norm = max(1e-12, (axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]).squareRoot())
        axis = axis.map { $0 / norm }
        let angle = maxAngle * Double(random.unit())
        let (c, s) = (cos(angle), sin(angle))
        let (x, y, z) = (axis[0], axis[1], axis[2])
        return [c + x * x * (1 - c), x * y * (1 - c) - z * s, x * z * (1 - c) + y * s,
                y * x * (1 - c) + z * s, c + y * y * (1 - c), y * z * (1 - c) - x * s,
                z * x * (1 - c) - y * s, z * y * (1 - c) + x * s, c + z * z * (1 - c)]
    }

    /// `matrix` × `vector`.
    static func apply(_ matrix: [Double], to v: [Double]) -> [Double] {
        [matrix[0] * v[0] + matrix[1] * v[1] + matrix[2] * v[2],
         matrix[3] * v[0] + matrix[4] * v[1] + matrix[5] * v[2],
         matrix[6] * v[0] + matrix[7] * v[1] + matrix[8] * v[2]]
    }
}
