import Type, { type Static } from "typebox";

/**
 * A cell preset is data: parameter values keyed "Name [unit]" in one section per submodel, each
 * section with a `notes` object saying where every value comes from. Sections that a preset does
 * not have (Headspace, Stress, Optics, Stack) switch the matching submodel off.
 */

const Notes = Type.Record(Type.String(), Type.String());
const Fraction = Type.Number({ minimum: 0, maximum: 1 });
const Positive = Type.Number({ exclusiveMinimum: 0 });
const NonNegative = Type.Number({ minimum: 0 });
const Points = Type.Array(Type.Number(), { minItems: 2 });
const closed = { additionalProperties: false } as const;

export const OpenCircuitVoltage = Type.Object({ "State of charge [1]": Points, "Voltage [V]": Points }, closed);

/** Potential of the negative electrode against a reference (Li/Li⁺), for side reactions that start there. */
export const NegativeElectrodePotential = Type.Object({ "State of charge [1]": Points, "Potential [V]": Points }, closed);

export const GasRelease = Type.Object(
  {
    Species: Type.String({ minLength: 1 }),
    "Electrons per molecule [1]": Positive,
    /** Part of the side reaction's charge that makes this gas; the rest forms solids (SEI). */
    "Share of charge [1]": Fraction,
  },
  closed,
);

export const SideReaction = Type.Object(
  {
    Name: Type.String({ minLength: 1 }),
    /** Which potential opens the reaction, and on which side of "Gate potential [V]". */
    Gate: Type.Union([
      Type.Literal("always"),
      Type.Literal("cell voltage above"),
      Type.Literal("cell voltage below"),
      Type.Literal("negative electrode potential below"),
    ]),
    "Gate potential [V]": Type.Optional(Type.Number()),
    /** Part of the current in the storing direction that this reaction takes while its gate is open. */
    "Fraction of storing current [1]": Fraction,
    /** The reaction slows as it consumes charge and stops at this total (a passivating film). */
    "Saturation charge [A.h]": Type.Optional(Positive),
    Gas: Type.Optional(GasRelease),
  },
  closed,
);

export const Electrochemistry = Type.Object(
  {
    /** Which current sign stores charge in the electrode under test (sodiation of a half cell is negative). */
    "Charge is stored by": Type.Union([Type.Literal("positive current"), Type.Literal("negative current")]),
    "Active mass [g]": Positive,
    "Specific capacity [mA.h/g]": Positive,
    "Initial state of charge [1]": Fraction,
    "Series resistance [ohm]": NonNegative,
    "RC resistance [ohm]": NonNegative,
    "RC time constant [s]": Positive,
    "Open-circuit voltage": OpenCircuitVoltage,
    "Negative electrode potential": Type.Optional(NegativeElectrodePotential),
    "Side reactions": Type.Array(SideReaction),
    notes: Notes,
  },
  closed,
);

/** One step of the cycling protocol: a rest, or a constant current ended by a voltage cut-off or a time limit. */
export const ProtocolStep = Type.Object(
  {
    "Rest [s]": Type.Optional(Positive),
    "Current [A]": Type.Optional(Type.Number()),
    "C-rate [1/h]": Type.Optional(Type.Number()),
    "Specific current [mA/g]": Type.Optional(Type.Number()),
    "Lower voltage cut-off [V]": Type.Optional(Type.Number()),
    "Upper voltage cut-off [V]": Type.Optional(Type.Number()),
    "Time limit [s]": Type.Optional(Positive),
  },
  closed,
);

export const Protocol = Type.Object(
  {
    "Number of cycles [1]": Type.Integer({ minimum: 1 }),
    /** One cycle; it starts with the half-cycle that stores charge. */
    Steps: Type.Array(ProtocolStep, { minItems: 1 }),
    notes: Notes,
  },
  closed,
);

export const Thermal = Type.Object(
  {
    "Mean temperature [K]": Positive,
    "Swing amplitude [K]": NonNegative,
    "Swing period [s]": Positive,
    "Drift [K/s]": Type.Number(),
    /** 0: the cell follows its surroundings at once. */
    "Cell thermal time constant [s]": NonNegative,
    notes: Notes,
  },
  closed,
);

export const Headspace = Type.Object(
  {
    "Headspace volume [m3]": Positive,
    "Initial pressure [Pa]": Positive,
    "Negative electrode volume [m3]": NonNegative,
    "Negative electrode expansion at full charge [1]": Type.Number(),
    "Positive electrode volume [m3]": NonNegative,
    "Positive electrode expansion at full charge [1]": Type.Number(),
    /** The gas rate above which a cycle's gassing onset is recorded. */
    "Gas onset threshold [mol/s]": Positive,
    notes: Notes,
  },
  closed,
);

export const VolumeExpansion = Type.Object({ "State of charge [1]": Points, "Volume expansion [1]": Points }, closed);
export const StressHysteresis = Type.Object({ "State of charge [1]": Points, "Loop width [N/m]": Points }, closed);

export const Stress = Type.Object(
  {
    "Substrate Young's modulus [Pa]": Positive,
    "Substrate Poisson ratio [1]": Type.Number({ minimum: 0, exclusiveMaximum: 0.5 }),
    "Substrate thickness [m]": Positive,
    "Cantilever length [m]": Positive,
    "Cantilever width [m]": Positive,
    "Electrode thickness [m]": Positive,
    "Electrode biaxial modulus [Pa]": Positive,
    "Electrode volume expansion": VolumeExpansion,
    "Stress-thickness hysteresis": StressHysteresis,
    /** State-of-charge change over which stress moves from one branch of the loop to the other (1/e). */
    "Hysteresis transition width [1]": Positive,
    "Initial stress-thickness [N/m]": Type.Number(),
    "Thermal stress-thickness coefficient [N/(m.K)]": Type.Number(),
    notes: Notes,
  },
  closed,
);

export const SignalLoss = Type.Object(
  {
    "Start [s]": NonNegative,
    "Duration [s]": Positive,
    "Transmission [1]": Fraction,
    Beams: Type.Union([Type.Literal("first"), Type.Literal("second"), Type.Literal("both")]),
  },
  closed,
);

export const Optics = Type.Object(
  {
    "Electrolyte refractive index [1]": Type.Number({ minimum: 1 }),
    "Detector distance [m]": Positive,
    "First beam distance from clamp [m]": Positive,
    "Second beam distance from clamp [m]": Positive,
    /** The two spots fall on two detectors whose centres are this far apart. */
    "Detector centre separation [m]": Positive,
    "Spot offsets at zero curvature [m]": Type.Tuple([Type.Number(), Type.Number()]),
    "Spot vertical offsets [m]": Type.Tuple([Type.Number(), Type.Number()]),
    "Detector active length [m]": Positive,
    "Quadrant calibration [m]": Positive,
    "Laser power [W]": Positive,
    "Photodiode responsivity [A/W]": Positive,
    "Optical transmission [1]": Fraction,
    "Mount tilt drift [rad/s]": Type.Number(),
    "Signal losses": Type.Array(SignalLoss),
    notes: Notes,
  },
  closed,
);

export const Stack = Type.Object(
  {
    "Applied pressure [Pa]": Positive,
    "Cell area [m2]": Positive,
    "Stack stiffness [N/m]": Positive,
    "Thickness change at full charge [m]": Type.Number(),
    "Pressure temperature coefficient [Pa/K]": Type.Number(),
    notes: Notes,
  },
  closed,
);

export const Preset = Type.Object(
  {
    Name: Type.String({ pattern: "^[a-z0-9-]+$" }),
    Description: Type.String(),
    Sources: Type.Array(Type.String(), { minItems: 1 }),
    "Time step [s]": Positive,
    Electrochemistry,
    Protocol,
    Thermal,
    Headspace: Type.Optional(Headspace),
    Stress: Type.Optional(Stress),
    Optics: Type.Optional(Optics),
    Stack: Type.Optional(Stack),
  },
  closed,
);

export type Preset = Static<typeof Preset>;
export type ElectrochemistryParams = Static<typeof Electrochemistry>;
export type SideReactionParams = Static<typeof SideReaction>;
export type ProtocolParams = Static<typeof Protocol>;
export type ProtocolStepParams = Static<typeof ProtocolStep>;
export type ThermalParams = Static<typeof Thermal>;
export type HeadspaceParams = Static<typeof Headspace>;
export type StressParams = Static<typeof Stress>;
export type OpticsParams = Static<typeof Optics>;
export type StackParams = Static<typeof Stack>;
