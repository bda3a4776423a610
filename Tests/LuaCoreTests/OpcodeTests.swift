import Testing
import LuaCore

@Suite struct OpcodeTests {
    @Test func opcodeNumbersMatchLua54() {
        #expect(LuaOpcode.allCases.count == 83)
        #expect(LuaOpcode.move.rawValue == 0)
        #expect(LuaOpcode.mmBin.rawValue == 46)
        #expect(LuaOpcode.jmp.rawValue == 56)
        #expect(LuaOpcode.call.rawValue == 68)
        #expect(LuaOpcode.extraArg.rawValue == 82)
        #expect(LuaOpcode.varargPrep.name == "VARARGPREP")
    }

    @Test func metamethodFieldNamesFollowTheCaseNames() {
        #expect(LuaMetamethod.allCases.count == 29)
        for event in LuaMetamethod.allCases {
            #expect(event.fieldName == "__" + String(describing: event))
        }
    }

    @Test func fieldsRoundTrip() {
        let abc = LuaInstruction(.setField, a: 255, b: 17, c: 200, k: true)
        #expect(abc.opcode == .setField && abc.a == 255 && abc.b == 17 && abc.c == 200 && abc.k)
        let asbx = LuaInstruction(.loadI, a: 3, sbx: -65535)
        #expect(asbx.opcode == .loadI && asbx.a == 3 && asbx.sbx == -65535)
        let abx = LuaInstruction(.loadK, a: 1, bx: LuaInstruction.maxBx)
        #expect(abx.bx == LuaInstruction.maxBx && abx.a == 1)
        let sj = LuaInstruction(.jmp, sj: -1000)
        #expect(sj.opcode == .jmp && sj.sj == -1000)
        let ax = LuaInstruction(.extraArg, ax: LuaInstruction.maxAx)
        #expect(ax.ax == LuaInstruction.maxAx)
        let sc = LuaInstruction(.addI, a: 0, b: 1, c: 127 - 5)
        #expect(sc.sc == -5)
        #expect(LuaOpcode.loadI.format == .iAsBx && LuaOpcode.jmp.format == .isJ)
        #expect(LuaOpcode.eqK.isTest && !LuaOpcode.add.isTest)
    }
}
